/**
 * Every root file system Lading makes from Debian packages, in one table: the package lists are
 * the recipe, and a recipe's hash names its cached layer. Change a list here and every image
 * made from it is rebuilt.
 */
export interface RootfsRecipe {
  name: string;
  /** Debian packages (their dependencies follow, recommends do not). */
  packages: readonly string[];
  /** Paths left out after unpacking: a prefix ending in `/`, or one exact path. */
  omit?: readonly string[];
  /** Links a maintainer script would make (Debian alternatives), path → target. */
  links?: Readonly<Record<string, string>>;
  /** File capabilities, as the raw `security.capability` xattr, for tools a non-root user must run with one. */
  capabilities?: Readonly<Record<string, string>>;
  /** The login shell /etc/passwd names. */
  loginShell: string;
  /**
   * Record the packages in dpkg's database and name Debian's mirrors for apt, so a Dockerfile
   * step can `apt-get install` more on top (where the mirrors are reachable).
   */
  packageDatabase?: boolean;
}

/** What a Node.js service needs under /usr/bin/node: the C and C++ runtimes, nothing that runs a command. */
const serviceOmissions = ['usr/bin/', 'usr/sbin/', 'usr/libexec/', 'etc/ld.so.conf.d/', 'usr/share/'];

/**
 * `security.capability` (VFS_CAP_REVISION_2, effective) granting CAP_NET_ADMIN alone: the runner,
 * uid 65532, adds its host firewall rules with iptables and nothing else gains the capability.
 */
const netAdminCapability = '\u0001\u0000\u0000\u0002\u0000\u0010\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000';

export const rootfsRecipes = {
  /** builder, registry-guard, secret-broker. */
  service: {
    name: 'service',
    packages: ['libc6', 'libstdc++6', 'libgcc-s1'],
    omit: serviceOmissions,
    loginShell: '/usr/sbin/nologin',
  },
  /** The runner also keeps run networks away from the host with iptables (nf_tables, Debian's default). */
  runner: {
    name: 'runner',
    packages: ['libc6', 'libstdc++6', 'libgcc-s1', 'iptables'],
    omit: [
      'usr/bin/',
      'usr/libexec/',
      'usr/share/',
      // Shell scripts, and the legacy back end the runner does not use.
      'usr/sbin/iptables-apply',
      'usr/sbin/ip6tables-apply',
      'usr/sbin/xtables-legacy-multi',
    ],
    links: {
      'usr/sbin/iptables': 'xtables-nft-multi',
      'usr/sbin/ip6tables': 'xtables-nft-multi',
    },
    capabilities: { 'usr/sbin/xtables-nft-multi': netAdminCapability },
    loginShell: '/usr/sbin/nologin',
  },
  /**
   * The default base of bundles, shaped like Porter's (debian:bookworm-slim): bash as in most
   * porter.yaml scripts, the usual tools, the CA bundle for curl, and apt with its database for
   * Dockerfile templates that install more (dpkg also needs diff and ldconfig).
   */
  bundleBase: {
    name: 'bundle-base',
    packages: ['base-files', 'bash', 'dash', 'coreutils', 'grep', 'sed', 'findutils', 'tar', 'gzip', 'ca-certificates', 'curl', 'jq', 'apt', 'diffutils', 'libc-bin'],
    links: { 'usr/bin/awk': 'mawk', 'usr/bin/which': 'which.debianutils' },
    loginShell: '/bin/bash',
    packageDatabase: true,
  },
} as const satisfies Record<string, RootfsRecipe>;
