import { join } from 'node:path';
import { RegistryClient } from '@lading/oci';
import { previousStoreCiphers } from '@lading/secrets';
import { runService } from '@lading/service-kit';
import { brokerSettings, readSettings } from '@lading/service-kit/settings';
import { startBroker } from './broker.js';
import { loadOrCreateBrokerKey, loadOrCreateStoreCipher } from './keys.js';
import { openSecretStore } from './secret-store-config.js';

await runService({
  role: 'broker',
  version: '0.1.0',
  description: 'Credential and parameter sets, secret stores, and sealed single-use leases for runners',
  async start(context) {
    const settings = readSettings(brokerSettings, process.env);
    const brokerKey = await loadOrCreateBrokerKey(settings.brokerKeyFile ?? join(context.config.stateDir, 'broker.key'));
    const storeKeyFile = settings.storeKeyFile ?? join(context.config.stateDir, 'store.key');
    const cipher = await loadOrCreateStoreCipher(storeKeyFile);
    const store = await openSecretStore(context.nc, cipher, settings, await previousStoreCiphers(storeKeyFile));
    const registry = new RegistryClient({ registry: settings.registry });
    await startBroker(context, { brokerKey, store, storeKeyFile, registry });
  },
});
