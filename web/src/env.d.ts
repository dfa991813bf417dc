// Lets TypeScript accept the stylesheet import that esbuild bundles into app.<hash>.css.
declare module '*.css';
