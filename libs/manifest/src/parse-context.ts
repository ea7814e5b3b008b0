import type { BundleConstants, TemplateDelimiters } from './templates.js';
import type { ManifestDialect } from './types.js';
import type { Located, MapView, YamlReader } from './yaml-reader.js';

/** What every part of the reader needs: where problems go, which file's meanings apply, which actions exist. */
export interface Context {
  reader: YamlReader;
  dialect: ManifestDialect;
  delimiters: TemplateDelimiters;
  constants: BundleConstants;
  actions: Set<string>;
  /** The mixins porter.yaml's `mixins:` declares (a step may use only those); empty for lading.yaml. */
  mixins: Set<string>;
}

/** A named value with the node it came from, so later cross-checks can point at it. */
export type Declared<T> = T & { at: Located };

export const strip = <T extends { at: Located }>({ at: _at, ...rest }: T): Omit<T, 'at'> => rest;

/** The value's text when it matches a pattern or passes a check (a grammar rule of @lading/oci). */
export function matching(ctx: Context, value: Located, rule: RegExp | ((text: string) => boolean), problem: string): string {
  const text = ctx.reader.string(value);
  if (!(typeof rule === 'function' ? rule(text) : rule.test(text))) ctx.reader.fail(value.at, value.path, problem);
  return text;
}

export function applyTo(ctx: Context, entry: MapView): string[] | undefined {
  const value = entry.get('applyTo');
  if (value === undefined) return undefined;
  const items = ctx.reader.list(value);
  if (items.length === 0) {
    // Porter reads an empty list as every action.
    if (ctx.dialect === 'porter') return undefined;
    ctx.reader.fail(value.at, value.path, 'must name at least one action, or be left out to mean every action');
  }
  return items.map((item) => {
    const action = ctx.reader.string(item);
    if (!ctx.actions.has(action)) {
      ctx.reader.fail(item.at, item.path, `names action "${action}", which this manifest does not declare; use one of ${[...ctx.actions].join(', ')}`);
    }
    return action;
  });
}
