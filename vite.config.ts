import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const target = process.env.LINKAGE_API ?? 'http://127.0.0.1:8080';

// The dashboard lives in client/ and builds into the repo-root dist/, which the server serves at "/".
// `vite build --mode test` (npm run build:test) builds the same dashboard with the hooks the browser
// tests and the bench read (client/src/test-hooks.ts) into dist-test/; production builds have none.
export default defineConfig(({ mode }) => ({
  root: here('./client'),
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@core': here('./core') } },
  build: {
    outDir: mode === 'test' ? here('./dist-test') : here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      // Two pages: the command-room dashboard and the grid worker's phone page.
      input: { main: here('./client/index.html'), mobile: here('./client/m.html') },
      output: {
        // Heavy libraries in their own long-cached chunks.
        manualChunks(id: string) {
          if (!id.includes('node_modules')) return undefined;
          if (id.includes('maplibre-gl')) return 'maplibre';
          if (id.includes('@deck.gl') || id.includes('@luma.gl') || id.includes('@math.gl') || id.includes('@loaders.gl') || id.includes('@probe.gl')) return 'deck';
          if (id.includes('echarts') || id.includes('zrender')) return 'echarts';
          if (id.includes('react') || id.includes('scheduler') || id.includes('i18next')) return 'react';
          return 'vendor';
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target, changeOrigin: false },
      '/data': { target, changeOrigin: false },
      '/socket.io': { target, ws: true, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/data': { target, changeOrigin: false },
      '/socket.io': { target, ws: true, changeOrigin: false },
    },
  },
}));
