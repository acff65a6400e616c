import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, DockerImage, aws_lambda as lambda } from 'aws-cdk-lib';
import { bundleFiles, ENTRIES, ROOT, type EntryName } from '../../scripts/bundle.ts';

/** Each entry's output files (path relative to the output directory, contents), built once per process. */
const built = new Map<EntryName, { relative: string; contents: Uint8Array }[]>();

/** `bundleFiles()` of scripts/bundle.ts (what `npm run build` writes), kept in memory so that every later synth in the process reuses it. */
function bundleInto(entry: EntryName, outputDir: string): void {
  let files = built.get(entry);
  if (files === undefined) {
    files = bundleFiles(entry, outputDir).map((file) => ({ relative: path.relative(outputDir, file.path), contents: file.contents }));
    built.set(entry, files);
  }
  for (const file of files) {
    const target = path.join(outputDir, file.relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
}

/**
 * The same bundle as `npm run build`: same entry, same options, bundled locally without Docker.
 * A test that synthesizes many variants of the stack pays for each bundle once.
 */
export function bundledCode(entry: EntryName): lambda.Code {
  // CDK caches bundling by source path and serializable options: each entry gets its own
  // directory as the path, or the functions would share the first bundle.
  return lambda.Code.fromAsset(path.join(ROOT, path.dirname(ENTRIES[entry])), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          bundleInto(entry, outputDir);
          return true;
        },
      },
    },
  });
}
