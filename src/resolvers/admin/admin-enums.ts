/** Enums of the administration mutations. */
import { registerEnumType } from 'type-graphql';

export const KubeconfigCredentialsEnum = {
  INSTALL: 'install',
  CONTEXT: 'context',
} as const;
registerEnumType(KubeconfigCredentialsEnum, {
  name: 'KubeconfigCredentials',
  description: 'What a kubeconfig import keeps.',
  valuesConfig: {
    INSTALL: {
      description: "Install the import manifest with the context's token, keep only its tokens.",
    },
    CONTEXT: { description: "Keep the context's own token as impersonator and manager." },
  },
});

export const AccessModeEnum = {
  UNRESTRICTED: 'unrestricted',
  RESTRICTED: 'restricted',
  REQUIRED: 'required',
} as const;
registerEnumType(AccessModeEnum, {
  name: 'AccessMode',
  description: 'Who of those a provider authenticates may use Paddock.',
  valuesConfig: {
    UNRESTRICTED: { description: 'Anyone who authenticates.' },
    RESTRICTED: {
      description: 'Allowed principals plus members of any cluster or project.',
    },
    REQUIRED: { description: 'Allowed principals only.' },
  },
});

export const ThemeEnum = { LIGHT: 'light', DARK: 'dark', SYSTEM: 'system' } as const;
registerEnumType(ThemeEnum, { name: 'Theme' });
