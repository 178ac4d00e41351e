import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { projectRoot } from '../../project-root';

/** Where a package's files are, wherever npm placed it. */
function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/** Third-party browser files, each a prebuilt file of an installed package (nothing is fetched from elsewhere). */
export function vendorFiles(): Record<string, string> {
  return {
    'react.production.min.js': path.join(packageDir('react'), 'umd/react.production.min.js'),
    'react-dom.production.min.js': path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    'graphiql.min.js': path.join(packageDir('graphiql'), 'dist/index.umd.js'),
    'graphiql.min.css': path.join(packageDir('graphiql'), 'dist/style.css'),
    'graphql-ws.min.js': path.join(packageDir('graphql-ws'), 'umd/graphql-ws.min.js'),
  };
}

/** Our own browser code: TypeScript compiled by the build into dist/browser, stylesheets and pages beside their sources. */
export const browserBuildDir = () => path.join(projectRoot(), 'dist/browser');
export const browserSourceDir = () => path.join(projectRoot(), 'browser');

/** A page template from browser/, read once. */
export function pageTemplate(relative: string): string {
  return readFileSync(path.join(browserSourceDir(), relative), 'utf8');
}

const SERVED = /\.(js|css)$/;

/**
 * GET /assets/vendor/<file> and /assets/app/<path>: scripts and stylesheets only
 * (no sources, maps, declarations or build info).
 */
export function assetRoutes(): express.Router {
  const router = express.Router();
  const vendor = vendorFiles();
  router.get('/assets/vendor/:file', (req, res, next) => {
    const file = vendor[req.params.file];
    if (!file) return next();
    res.set('x-content-type-options', 'nosniff');
    res.sendFile(file, { maxAge: '1d', dotfiles: 'deny' });
  });
  const onlyAssets: express.RequestHandler = (req, res, next) => (SERVED.test(req.path) ? next() : res.status(404).end());
  const options = { index: false, dotfiles: 'deny', fallthrough: true, setHeaders: (res: express.Response) => res.set('x-content-type-options', 'nosniff') } as const;
  router.use('/assets/app', onlyAssets, express.static(browserBuildDir(), options), express.static(browserSourceDir(), options));
  return router;
}
