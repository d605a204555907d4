// The development accounts the tests sign with.

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

/**
 * sr25519 key pairs of //Alice to //Ferdie, keyed by lower-case name (`alice`), plus the
 * `//<Name>//stash` accounts of `stashes`, keyed `<name>Stash` (`daveStash`), plus `others`
 * (`{ outsider: '//Outsider' }`).
 */
export async function devAccounts (stashes = [], others = {}) {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  const k = {};
  for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) {
    k[name.toLowerCase()] = keyring.addFromUri(`//${name}`);
  }
  for (const name of stashes) {
    k[`${name.toLowerCase()}Stash`] = keyring.addFromUri(`//${name}//stash`);
  }
  for (const [key, uri] of Object.entries(others)) {
    k[key] = keyring.addFromUri(uri);
  }
  return k;
}
