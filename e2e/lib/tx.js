// Submitting transactions with polkadot.js and reading what they did.

/** The `section.Name` of a dispatch error (a module error by its metadata name). */
export function errorName (api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  return dispatchError.toString();
}

/**
 * Signs and sends `tx`; resolves once its block is finalized with the block hashes, the
 * events and the dispatch error's name (`null` when it succeeded). A sudo call's inner error
 * is reported as `sudoError`.
 */
export function send (api, tx, signer) {
  return new Promise((resolve, reject) => {
    let inBlock = null;
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (status.isInBlock) inBlock = status.asInBlock.toHex();
      if (status.isFinalized) {
        const sudid = events.find(({ event }) => api.events.sudo?.Sudid.is(event));
        const sudoResult = sudid && sudid.event.data.sudoResult;
        resolve({
          inBlock,
          finalized: status.asFinalized.toHex(),
          events,
          error: dispatchError ? errorName(api, dispatchError) : null,
          sudoError: sudoResult && sudoResult.isErr ? errorName(api, sudoResult.asErr) : null
        });
      }
      if (status.isDropped || status.isInvalid || status.isUsurped) reject(new Error(`transaction ${status.type}`));
    }).catch(reject);
  });
}

/** Like `send`, but fails unless the call (and a sudo call's inner call) succeeded. */
export async function sendOk (api, tx, signer) {
  const result = await send(api, tx, signer);
  if (result.error || result.sudoError) throw new Error(`${tx.method.section}.${tx.method.method} failed: ${result.error || result.sudoError}`);
  return result;
}

/** The events of `result` that are `api.events.<section>.<name>`. */
export function eventsOf (api, result, section, name) {
  return result.events.filter(({ event }) => api.events[section][name].is(event)).map(({ event }) => event);
}
