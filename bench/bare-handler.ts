/**
 * Issue 14's bare-SDK baseline without the session table (bench/bare-core.ts): only the SSM,
 * Secrets Manager and SNS clients are imported, so its import cost is the three clients' alone.
 * Bundled with the product's own esbuild options (bench/run.ts) so the two are parsed and run alike.
 */
import { createBareHandler } from './bare-core.ts';

export const handler = createBareHandler(process.env);
