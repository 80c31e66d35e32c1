import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient } from './App.js';
import { initI18n } from './i18n/index.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The language is known before the first paint, so no page flashes in the wrong one.
void initI18n().then(() => {
  createRoot(root).render(
    <StrictMode>
      <App queryClient={createQueryClient()} />
    </StrictMode>,
  );
});
