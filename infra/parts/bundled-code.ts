import * as path from 'node:path';
import { AssetHashType, DockerImage, aws_lambda as lambda } from 'aws-cdk-lib';
import { bundle, ENTRIES, ROOT, type EntryName } from '../../scripts/bundle.ts';

/** The same bundle as `npm run build`: same entry, same options, bundled locally without Docker. */
export function bundledCode(entry: EntryName): lambda.Code {
  // CDK caches bundling by source path and serializable options: each entry gets its own
  // directory as the path, or both functions would share the first bundle.
  return lambda.Code.fromAsset(path.join(ROOT, path.dirname(ENTRIES[entry])), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          bundle(entry, outputDir);
          return true;
        },
      },
    },
  });
}
