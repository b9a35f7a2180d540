/** Display languages Docksmith ships text for. */
export type Lang = 'en' | 'zh-cn';
/** The `docksmith.language` setting. */
export type LanguageSetting = 'auto' | Lang;

export const LANGS: readonly Lang[] = ['en', 'zh-cn'];

/**
 * The language to show: `auto` follows the editor's display language (the `locale` of the LSP
 * initialize request): any `zh*` locale gives Chinese, anything else English.
 */
export function resolveLang(setting: LanguageSetting | string | undefined, clientLocale: string | undefined): Lang {
  if (setting === 'en' || setting === 'zh-cn') return setting;
  return clientLocale !== undefined && clientLocale.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}

/** A user-facing string in every language. */
export type Localized = Readonly<Record<Lang, string>>;

/** Fills `{0}`, `{1}`, ... in a localized template. */
export function format(template: string, ...args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? m : String(v);
  });
}

export function localize(text: Localized, lang: Lang, ...args: readonly (string | number)[]): string {
  return format(text[lang], ...args);
}
