// Kysely publishes its migrator as the `kysely/migration` subpath export, which this project's
// `moduleResolution: node` does not read; Node and tsx resolve it at run time. This points the
// type checker at the same file.
declare module 'kysely/migration' {
  export * from 'kysely/dist/migration/index.js';
}
