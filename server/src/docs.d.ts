/** The hover docs, bundled by esbuild.mjs from server/src/service/docs (see its docsPlugin). */
declare module 'docksmith:docs' {
  const docs: Readonly<Record<string, string>>;
  export default docs;
}
