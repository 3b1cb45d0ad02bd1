import { Menu, type MenuItemConstructorOptions } from 'electron';

/** Standard roles bring the platform's own labels and accelerators (Cmd/Ctrl+Q, C, V, W, …). */
export function applicationMenuTemplate(
  platform: NodeJS.Platform,
  isDevelopment: boolean,
): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (isDevelopment)
    view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}

export function installApplicationMenu(isDevelopment: boolean): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(applicationMenuTemplate(process.platform, isDevelopment)),
  );
}
