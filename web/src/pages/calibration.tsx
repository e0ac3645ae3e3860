import { t } from '../i18n';

/** Calibration sessions (supervisor creates, inspectors score blind); filled in when the API lands. */
export function CalibrationPage() {
  return (
    <div class="page">
      <h1>{t('calibrationSessions')}</h1>
    </div>
  );
}
