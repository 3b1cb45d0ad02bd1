import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { findBridge } from './bridge';
import { App } from './components/App';
import { BridgeMissing } from './components/BridgeMissing';
import { AppProvider } from './context';
import { createController } from './controller';
import { createAppStore } from './store/store';
import './styles/theme.css';
import './styles/app.css';
import './styles/queue.css';
import './styles/dialog.css';
import './styles/connections.css';
import './styles/browse.css';
import './styles/versions.css';
import './styles/archive.css';
import './styles/options.css';

const root = createRoot(document.getElementById('root')!);
const api = findBridge();

if (api) {
  const store = createAppStore();
  const controller = createController(api, store);
  root.render(
    <StrictMode>
      <AppProvider value={{ store, controller }}>
        <App />
      </AppProvider>
    </StrictMode>,
  );
} else {
  root.render(<BridgeMissing />);
}
