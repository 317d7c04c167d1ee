import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// VITE_API empty: the UI calls /api/v1/... on the origin that served it (the devserver's one HTTP port).
process.env.VITE_API ??= '';
process.env.VITE_TEMPORAL_UI_BUILD_TARGET ??= 'local';

export default defineConfig({
  plugins: [sveltekit()],
  build: { chunkSizeWarningLimit: 4096, reportCompressedSize: false },
});
