import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 240_000,
    // Browser tests share one H5 build and one Chromium; run files one worker at a time there.
    poolOptions: { forks: { singleFork: false } },
  },
})
