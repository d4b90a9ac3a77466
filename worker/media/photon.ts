// photon (1.5 MB of wasm) is loaded on first use, not with the app: the scan path never needs
// it, so a cold Worker isolate or a starting Node process does not pay for instantiating it.
type Photon = typeof import('@cf-wasm/photon');

let loading: Promise<Photon> | null = null;

export function loadPhoton(): Promise<Photon> {
  loading ??= import('@cf-wasm/photon').catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
