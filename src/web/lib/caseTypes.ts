import { useQuery } from '@tanstack/react-query';
import type { CaseTypeView } from '../../contracts/cases.js';
import { api } from '../api.js';
import { currentLang } from '../i18n/index.js';

export type { CaseTypeView };

export const caseTypesKey = ['case-types'] as const;

/**
 * GET /case-types, once a session: what each case type is (its fields and every action's input as
 * JSON Schema, states, labels). The definitions change only with a new server, so it is never stale.
 */
export function useCaseTypes() {
  return useQuery({ queryKey: caseTypesKey, queryFn: () => api.get<CaseTypeView[]>('/case-types'), staleTime: Infinity, gcTime: Infinity });
}

/** One type's description, or undefined while it loads (or for a type the server does not know). */
export function useCaseType(code: string | undefined): { view: CaseTypeView | undefined; isLoading: boolean; error: Error | null } {
  const q = useCaseTypes();
  return { view: code ? q.data?.find((v) => v.code === code) : undefined, isLoading: q.isLoading, error: q.error };
}

/** A label of the type in the current language: the first of `keys` it has, else `fallback`. */
export function typeLabel(view: CaseTypeView | undefined, keys: string | readonly string[], fallback = ''): string {
  const lang = currentLang();
  for (const k of typeof keys === 'string' ? [keys] : keys) {
    const l = view?.labels[k];
    if (l) return l[lang];
  }
  return fallback;
}

/** Whether the type has a label for `key`. */
export const hasLabel = (view: CaseTypeView | undefined, key: string) => !!view?.labels[key];

/** The type's name in the current language. */
export const typeName = (view: CaseTypeView | undefined, fallback = '') => (view ? view.name[currentLang()] : fallback);

/** The words of a type's fields form: `field.<kind>.<name>` (a field named per kind), `field.<name>`, `enum.<name>.<value>`, `placeholder.<name>`. */
export function fieldWords(view: CaseTypeView | undefined) {
  return {
    label: (name: string, variant?: string) => typeLabel(view, variant ? [`field.${variant}.${name}`, `field.${name}`] : [`field.${name}`], name),
    option: (name: string, value: string) => typeLabel(view, [`enum.${name}.${value}`], value),
    placeholder: (name: string) => typeLabel(view, [`placeholder.${name}`]) || undefined,
  };
}

/** The words of an action's dialog: `input.<action>.<name>`, then the engine's `input.<name>`, then the field's. */
export function inputWords(view: CaseTypeView | undefined, action: string) {
  return {
    label: (name: string) => typeLabel(view, [`input.${action}.${name}`, `input.${name}`, `field.${name}`], name),
    option: (name: string, value: string) => typeLabel(view, [`enum.${name}.${value}`], value),
    placeholder: (name: string) => typeLabel(view, [`placeholder.${action}.${name}`, `placeholder.${name}`]) || undefined,
  };
}
