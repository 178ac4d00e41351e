import path from 'node:path';
import { build, type BuildResult } from 'esbuild';
import { projectRoot } from '../src/project-root';

/** Where the bundle goes: beside the other pages' compiled scripts, served at /assets/app/app/. */
export const appBundleDir = () => path.join(projectRoot(), 'dist/browser/app');

/**
 * The app at /app as one minified ES module (Preact, urql, graphql-ws, dayjs and
 * our code), built by `npm run build` and `npm start`; nothing is fetched at run time.
 */
export function buildApp(options: { metafile?: boolean } = {}): Promise<BuildResult> {
  return build({
    entryPoints: [path.join(projectRoot(), 'browser/app/main.tsx')],
    outdir: appBundleDir(),
    bundle: true,
    format: 'esm',
    splitting: false,
    minify: true,
    sourcemap: 'external', // written beside it for debugging, not linked (only .js and .css are served)
    target: ['chrome111', 'firefox113', 'safari16.4'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // Libraries drop their development checks and warnings.
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'external',
    metafile: options.metafile,
    logLevel: 'warning',
  });
}

if (require.main === module) {
  buildApp().catch(() => {
    process.exitCode = 1;
  });
}
