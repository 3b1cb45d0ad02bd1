import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Controller } from './controller';
import type { AppState, AppStore } from './store/store';

interface AppContextValue {
  store: AppStore;
  controller: Controller;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider({ value, children }: { value: AppContextValue; children: ReactNode }) {
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('AppProvider is missing');
  return value;
}

/**
 * Subscribes to one slice of state. Selectors must return primitives or references kept by the
 * store (an item, the order array), never new objects, or every store update re-renders.
 */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}

/** The store itself, for reads in event handlers and timers that must not subscribe. */
export function useAppStore(): AppStore {
  return useAppContext().store;
}

export function useController(): Controller {
  return useAppContext().controller;
}
