import express from 'express';
import { pageHeaders } from './content-security-policy';
import { pageTemplate } from './assets';

/**
 * GraphiQL for a browser opening /graphql (Accept: text/html, no query in the
 * URL); everything else on that path is GraphQL over HTTP and goes on to Apollo.
 */
export function graphiqlRoutes(): express.RequestHandler {
  const page = pageTemplate('graphiql/index.html');
  // A plain handler, not a Router route: a route on /graphql would answer CORS preflights (OPTIONS) itself.
  return (req, res, next) => {
    if (req.method !== 'GET' || req.path !== '/graphql' || req.query.query !== undefined) return next();
    if (req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) !== 'text/html') return next();
    res.set(pageHeaders(req)).send(page);
  };
}
