import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { hrefWith } from '../router';

/**
 * The pieces the list pages share (audit log, trends, personal-data requests): a filter bar with its fields and
 * its submit button, the line that says a request failed, and a table's column heads.
 */

/** A filter form: the fields, then the button that applies them. */
export function FilterBar(props: { class: string; label?: string; submit: string; busy?: boolean; onSubmit: () => void; children: ComponentChildren }) {
  return (
    <form
      class={props.class}
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
      <button type="submit" class="primary" disabled={props.busy}>
        {props.submit}
      </button>
    </form>
  );
}

/** A labelled text field of a filter bar. */
export function TextFilter(props: { label: string; name: string; value: string; onInput: (e: Event) => void; size: number; placeholder?: string }) {
  return (
    <label>
      {props.label}
      <input name={props.name} value={props.value} onInput={props.onInput} size={props.size} placeholder={props.placeholder} />
    </label>
  );
}

/** "Error: …" for a request that failed, read out at once; nothing without one. */
export function ErrorLine({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {t('error')}: {error}
    </p>
  );
}

/** A table's head: one column head a label; `num` ones right-aligned like their figures. */
export function TableHead({ columns }: { columns: (string | { label: string; num: true })[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) =>
          typeof c === 'string' ? (
            <th scope="col">{c}</th>
          ) : (
            <th scope="col" class="num">
              {c.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

/** A figure's column head (right-aligned). */
export const numCol = (label: string) => ({ label, num: true as const });

/**
 * A filter form whose applied values live in the route (#/audit?user=adm): `form` is what is typed, set back to
 * the route's values whenever they change (Back, a link); `apply` puts the form's values (or `next`) in the route.
 */
export function useRouteForm<T extends { [K in keyof T]: string | number }>(applied: T, page: string) {
  const [form, setForm] = useState(applied);
  const key = JSON.stringify(applied);
  useEffect(() => setForm(applied), [key]);
  /** the input handler of a text field */
  const field = (k: keyof T) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  const apply = (next: T = form) => {
    location.hash = hrefWith(next, page);
  };
  return { form, setForm, field, apply };
}
