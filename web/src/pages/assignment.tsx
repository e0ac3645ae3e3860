import { t } from '../i18n';

export function AssignmentPage() {
  return (
    <div class="page">
      <h1>{t('assignCalls')}</h1>
    </div>
  );
}
