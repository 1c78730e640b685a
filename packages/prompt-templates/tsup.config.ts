import { defineConfig } from 'tsup';
import { packageBuild } from '../../tooling/tsup.shared';

export default defineConfig(
  packageBuild({
    entry: ['src/index.ts'],
    // The bundled chat templates are String.raw text (Jinja keeps its backslashes), and
    // some hold the model's own special characters, which a raw template cannot escape.
    nonAsciiBecause: 'chat templates as String.raw text',
  }),
);
