/**
 * The Lambda entry point: AWS Client VPN's client connect handler, run from source (npm start,
 * tests). The bundle (dist/connect-handler/index.mjs) has its own entry, written by
 * scripts/bundle.ts: the same first stage, with the second kept as text.
 */
import { connectHandlerInStages } from './stage-one.ts';

export const handler = await connectHandlerInStages(process.env, () => import('./stage-two.ts'));
