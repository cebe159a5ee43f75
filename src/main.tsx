import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createEditorStore, EditorProvider, startEditorSession } from './state/index.ts';
import { App } from './ui/app/App.tsx';

// The page's one store, with its workers, validator and autosave.
const store = createEditorStore();
await startEditorSession(store, {
  schemasUrl: new URL('schemas/', new URL(import.meta.env.BASE_URL, window.location.href)).href,
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <EditorProvider store={store}>
      <App />
    </EditorProvider>
  </StrictMode>,
);
