import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';
import { xmllint } from './vite-plugin-xmllint.ts';

export const PREVIEW_PORT = 4173;

// The built page may talk to its own origin only: checkpoint files never leave the machine.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

/** Adds the policy to the built page only: the dev server injects inline scripts of its own. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'checkpoint-editor:csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  // Relative URLs throughout, so dist/ works under any path (https://host/tools/ckpt/).
  base: './',
  plugins: [react(), xmllint(), contentSecurityPolicy()],
  // The schema validation worker is bundled on its own: it needs the xmllint plugin too.
  worker: { format: 'es', plugins: () => [xmllint()] },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The schema set and xmllint's wasm are fetched at run time, never inlined.
    assetsInlineLimit: 0,
  },
  server: { port: 5173, strictPort: true },
  preview: { port: PREVIEW_PORT, strictPort: true, host: '127.0.0.1' },
});
