import { join } from 'node:path';
import { RegistryClient } from '@lading/oci';
import { previousStoreCiphers } from '@lading/secrets';
import { runService } from '@lading/service-kit';
import { startBroker } from './broker.js';
import { loadOrCreateBrokerKey, loadOrCreateStoreCipher } from './keys.js';
import { openSecretStore } from './secret-store-config.js';

await runService({
  role: 'broker',
  version: '0.1.0',
  description: 'Credential and parameter sets, secret stores, and sealed single-use leases for runners',
  async start(context) {
    const env = process.env;
    const brokerKey = await loadOrCreateBrokerKey(env.LADING_BROKER_KEY_FILE ?? join(context.config.stateDir, 'broker.key'));
    const storeKeyFile = env.LADING_STORE_KEY_FILE ?? join(context.config.stateDir, 'store.key');
    const cipher = await loadOrCreateStoreCipher(storeKeyFile);
    const store = await openSecretStore(context.nc, cipher, env, await previousStoreCiphers(storeKeyFile));
    const registry = new RegistryClient({ registry: env.LADING_REGISTRY ?? '127.0.0.1:5000' });
    await startBroker(context, { brokerKey, store, storeKeyFile, registry });
  },
});
