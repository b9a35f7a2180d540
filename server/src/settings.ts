import type { Connection } from 'vscode-languageserver';
import type { LanguageSetting, SeveritySetting } from './service';

/** The `docksmith.*` settings, read per document (scope: resource). */
export interface DocksmithSettings {
  readonly language: LanguageSetting;
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  /** `docksmith.format.*` */
  readonly format: { readonly ignoreMultilineInstructions: boolean };
}

export const DEFAULT_SETTINGS: DocksmithSettings = {
  language: 'auto',
  rules: {},
  format: { ignoreMultilineInstructions: false },
};

const LANGUAGES = new Set(['auto', 'en', 'zh-cn']);
const SEVERITIES = new Set(['off', 'hint', 'info', 'warning', 'error']);

/** Accepts whatever the client sent and keeps only well-formed values. */
export function normalizeSettings(raw: unknown): DocksmithSettings {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_SETTINGS;
  const value = raw as { language?: unknown; rules?: unknown; format?: unknown };
  const language =
    typeof value.language === 'string' && LANGUAGES.has(value.language.toLowerCase())
      ? (value.language.toLowerCase() as LanguageSetting)
      : 'auto';
  const rules: Record<string, SeveritySetting> = {};
  if (typeof value.rules === 'object' && value.rules !== null) {
    for (const [id, severity] of Object.entries(value.rules as Record<string, unknown>)) {
      if (typeof severity === 'string' && SEVERITIES.has(severity)) rules[id] = severity as SeveritySetting;
    }
  }
  const format = (typeof value.format === 'object' && value.format !== null ? value.format : {}) as {
    ignoreMultilineInstructions?: unknown;
  };
  return { language, rules, format: { ignoreMultilineInstructions: format.ignoreMultilineInstructions === true } };
}

/**
 * Settings per document URI through `workspace/configuration`, cached until the client says
 * they changed. Clients without that capability get the initializationOptions' values (or defaults).
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<DocksmithSettings>>();
  private fallback: DocksmithSettings = DEFAULT_SETTINGS;

  constructor(
    private readonly connection: Connection,
    private readonly pull: boolean,
    initializationOptions: unknown,
  ) {
    const init = initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings !== undefined) this.fallback = normalizeSettings(init.settings);
  }

  get(uri: string): Promise<DocksmithSettings> {
    if (!this.pull) return Promise.resolve(this.fallback);
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'docksmith' })
        .then(normalizeSettings, () => this.fallback);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  /** The client said settings changed: drop the cache (and take pushed values, if any). */
  changed(pushed: unknown): void {
    this.cache.clear();
    const value = (pushed as { docksmith?: unknown } | undefined)?.docksmith;
    if (value !== undefined) this.fallback = normalizeSettings(value);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
