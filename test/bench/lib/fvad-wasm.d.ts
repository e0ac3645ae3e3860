// @echogarden/fvad-wasm ships no types: its default export is the Emscripten module factory (see vads.ts).
declare module '@echogarden/fvad-wasm' {
  const factory: (moduleArg?: Record<string, unknown>) => Promise<unknown>;
  export default factory;
}
