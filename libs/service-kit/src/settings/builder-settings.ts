import { settingsTable, oneOf, text } from '@lading/contracts/settings';
import { allowedRegistriesSetting, frontDoorSetting } from './shared-settings.js';

/** What the builder reads besides the common settings. */
export const builderSettings = settingsTable({
  registry: frontDoorSetting,
  allowedRegistries: allowedRegistriesSetting,
  registryUser: { name: 'LADING_REGISTRY_USER', type: text(), meaning: 'its login at the front door, offered to that host only: it pushes invocation images by digest, never a tag' },
  registryPasswordFile: { name: 'LADING_REGISTRY_PASSWORD_FILE', type: text('file'), meaning: 'that login’s password, in a file' },
  buildEgress: {
    name: 'LADING_BUILD_EGRESS',
    type: oneOf(['on', 'off']),
    default: 'on',
    meaning: '`off` gives the RUN steps of an invocation image build (a `dockerfile:` template\'s among them) no network at all; `on` gives them Docker\'s default network; `lading up` passes it on',
  },
});
