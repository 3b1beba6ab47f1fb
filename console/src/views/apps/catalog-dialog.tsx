/** Adds a catalog, or changes one's address, login and CA (a password is write-only). */
import { type FormEvent, useId } from 'react';
import { useMutation } from 'urql';
import { Dialog } from '../../components/dialog.js';
import { ErrorNotice } from '../../components/notices.js';
import { graphql } from '../../gql';
import { useT } from '../../i18n/i18n.js';
import type { CatalogScopeRef } from './catalogs-panel.js';

const AddCatalogDocument = graphql(`
  mutation AddCatalog($input: AddCatalogInput!) {
    addCatalog(input: $input) {
      id
    }
  }
`);

const UpdateCatalogDocument = graphql(`
  mutation UpdateCatalog($id: ID!, $input: UpdateCatalogInput!) {
    updateCatalog(id: $id, input: $input) {
      id
    }
  }
`);

export interface EditedCatalog {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly url: string;
  readonly username?: string | null;
  readonly hasPassword: boolean;
  readonly caPem?: string | null;
}

export function CatalogDialog({
  where,
  catalog,
  onClose,
  onSaved,
}: {
  where: CatalogScopeRef;
  catalog?: EditedCatalog;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const ids = {
    name: useId(),
    url: useId(),
    description: useId(),
    username: useId(),
    password: useId(),
    ca: useId(),
  };
  const [addState, add] = useMutation(AddCatalogDocument);
  const [updateState, update] = useMutation(UpdateCatalogDocument);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (k: string) => String(data.get(k) ?? '').trim();
    const password = text('password');
    const common = {
      url: text('url'),
      description: text('description'),
      username: text('username'),
      caPem: text('caPem'),
      ...(password ? { password } : {}),
    };
    const r = catalog
      ? await update({ id: catalog.id, input: common })
      : await add({
          input: {
            ...common,
            username: common.username || null,
            caPem: common.caPem || null,
            name: text('name'),
            scope: where.scope,
            clusterId: where.clusterId ?? null,
            projectId: where.projectId ?? null,
          },
        });
    if (!r.error) onSaved();
  };
  return (
    <Dialog
      title={catalog ? t('catalogs.editOf', { name: catalog.name }) : t('catalogs.add')}
      onClose={onClose}
    >
      <form onSubmit={submit}>
        {catalog ? null : (
          <div className="field">
            <label htmlFor={ids.name}>{t('common.name')}</label>
            <input
              id={ids.name}
              name="name"
              required
              pattern="[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
              autoComplete="off"
            />
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.url}>{t('catalogs.url')}</label>
          <input
            id={ids.url}
            name="url"
            required
            defaultValue={catalog?.url ?? ''}
            placeholder="https://charts.example.org/ or oci://registry/path"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.description}>{t('common.description')}</label>
          <input
            id={ids.description}
            name="description"
            defaultValue={catalog?.description ?? ''}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.username}>{t('catalogs.username')}</label>
          <input
            id={ids.username}
            name="username"
            autoComplete="off"
            defaultValue={catalog?.username ?? ''}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>{t('catalogs.password')}</label>
          <input
            id={ids.password}
            name="password"
            type="password"
            autoComplete="new-password"
            placeholder={catalog?.hasPassword ? t('common.keepSecret') : ''}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.ca}>{t('catalogs.ca')}</label>
          <textarea id={ids.ca} name="caPem" rows={4} defaultValue={catalog?.caPem ?? ''} />
        </div>
        <ErrorNotice error={addState.error ?? updateState.error} />
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={addState.fetching || updateState.fetching}
          >
            {catalog ? t('common.save') : t('catalogs.add')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
