// Components loaded on demand: `lazy(onDemand, 'Settings')` is a component that starts loading its module
// (`onDemand.ts`, a chunk of its own, see build.mjs) when first rendered and shows the real one once it is
// there (until then nothing, or `fallback`). `.load()` starts loading early, on a sign of intent (a key, a
// focus), and resolves when the component is ready; a failed load is tried again at the next render or call.

import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** The seldom-used UI, in one chunk. */
export const onDemand = () => import('./onDemand');

export type Lazy<P> = ((props: P) => JSX.Element | null) & { load: () => Promise<ComponentType<P>> };

export function lazy<M, K extends keyof M, P = M[K] extends ComponentType<infer Q> ? Q : never>(
  load: () => Promise<M>,
  name: K,
  fallback: () => JSX.Element | null = () => null,
): Lazy<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const start = (): Promise<ComponentType<P>> => {
    loading ??= load().then(
      (module) => (loaded = module[name] as ComponentType<P>),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    );
    return loading;
  };
  const Component = ((props: P) => {
    const [, ready] = useState(0);
    const Real = loaded;
    useEffect(() => {
      if (Real) return;
      let live = true;
      start().then(
        () => live && ready((n) => n + 1),
        () => undefined,
      );
      return () => {
        live = false;
      };
    }, []);
    return Real ? <Real {...(props as P & JSX.IntrinsicAttributes)} /> : fallback();
  }) as Lazy<P>;
  Component.load = start;
  return Component;
}
