import { certificateState } from '../domain/certificate-state';
import { translator, type Lang } from './i18n';
import { renewalPendingHeading, renewalPendingText } from './renewal-pending';

interface PendingFacts {
  status: 'active' | 'revoked' | 'superseded';
  validFrom: string;
  validUntil: string;
  renewalPendingSince?: string | null | undefined;
}

/**
 * The amber box of a certificate whose renewal is under review, for the product page (its
 * current certificate) — nothing when the certificate is in any other state. The
 * certificate page puts the same words in its own verdict box.
 */
export function RenewalPendingBox(props: { lang: Lang; cert: PendingFacts | undefined; now: Date }) {
  const { cert } = props;
  if (!cert?.renewalPendingSince) return null;
  const { state } = certificateState({ status: cert.status, validFrom: cert.validFrom, validUntil: cert.validUntil, renewalPendingSince: cert.renewalPendingSince }, props.now);
  if (state !== 'renewal_pending') return null;
  const t = translator(props.lang);
  return (
    <section class="verdict warn">
      <h2>! {renewalPendingHeading(props.lang, t, cert.renewalPendingSince)}</h2>
      <p>{renewalPendingText(props.lang, t, cert.renewalPendingSince)}</p>
    </section>
  );
}
