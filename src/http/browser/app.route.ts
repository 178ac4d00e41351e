import express from 'express';
import { pageTemplate } from './assets';
import { pageHeaders } from './content-security-policy';

/**
 * GET /app: the members' and coaches' app. One static page; its script (bundled by
 * scripts/build-app.ts into /assets/app/app/main.js) signs in and loads everything over /graphql.
 */
export function appRoutes(): express.Router {
  const router = express.Router();
  const page = pageTemplate('app/index.html');
  router.get(['/app', '/app/'], (req, res) => {
    res.set(pageHeaders(req)).send(page);
  });
  return router;
}
