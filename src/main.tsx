import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { editorStore, startEditorSession } from './state/index.ts';
import { App } from './ui/app/App.tsx';

await startEditorSession(editorStore, {
  schemasUrl: new URL('schemas/', new URL(import.meta.env.BASE_URL, window.location.href)).href,
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
