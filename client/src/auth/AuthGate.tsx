// Signing in before anything else: asks the server who this browser is; shows the sign-in form
// when accounts are required and nobody is signed in, the new-password form after a one-time
// password, else the page with the account in context.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountView } from '../../../core/accounts.ts';
import type { Actor } from '../../../core/org.ts';
import { setLang } from '../i18n/index.ts';
import { changePassword, fetchSession, signIn, signOut, type SessionInfo } from './api.ts';
import './auth.css';

export interface SignedIn {
  account: AccountView;
  actor: Actor;
}

export const SignedInContext = createContext<SignedIn | null>(null);
/** Asks the server again who this browser is (after signing out, or when the session was ended). */
export const RecheckContext = createContext<() => void>(() => {});
/** Where signing in is optional (AUTH_MODE=declared): opens the sign-in form; null where it is required. */
export const OfferSignInContext = createContext<(() => void) | null>(null);

export const useSignedIn = () => useContext(SignedInContext);

export function AuthGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [info, setInfo] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const check = useCallback(async () => {
    const r = await fetchSession();
    setSigningIn(false);
    if (r.ok) {
      setInfo(r.data);
      setError(null);
    } else setError(r.message);
  }, []);
  useEffect(() => {
    void check();
  }, [check]);
  const signedIn = useMemo<SignedIn | null>(
    () => (info?.account && info.actor && !info.account.mustChangePassword ? { account: info.account, actor: info.actor } : null),
    [info],
  );
  const offer = useCallback(() => setSigningIn(true), []);
  if (error && !info) return <div className="splash error" data-testid="auth-error">{error}</div>;
  if (!info) return <div className="splash">{t('auth.checking')}</div>;
  const required = info.mode === 'accounts';
  // A one-time password is replaced first; a sign-in form when signing in is required or asked for.
  const form = info.account?.mustChangePassword
    ? <NewPassword onDone={check} overlay={!required} />
    : !signedIn && (required || signingIn)
      ? <SignInForm onDone={check} onCancel={required ? undefined : () => setSigningIn(false)} overlay={!required} />
      : null;
  // Where accounts are required nothing shows before one is signed in. Otherwise the page stays
  // mounted under the forms, in the same tree whoever is signed in: signing in or out switches
  // identity (the socket reconnects) without rebuilding the map.
  if (required && !signedIn) return form;
  return (
    <RecheckContext.Provider value={check}>
      <OfferSignInContext.Provider value={required || signedIn ? null : offer}>
        <SignedInContext.Provider value={signedIn}>{children}</SignedInContext.Provider>
      </OfferSignInContext.Provider>
      {form}
    </RecheckContext.Provider>
  );
}

function Card({ title, children, overlay }: { title: string; children: ReactNode; overlay: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <div className={overlay ? 'auth-page overlay' : 'auth-page'}>
      <div className="auth-card" data-testid="auth-card">
        <div className="auth-emblem" aria-hidden>
          <span />
        </div>
        <h1>{t('auth.title')}</h1>
        <h2>{title}</h2>
        {children}
        <div className="auth-lang">
          <button type="button" className={i18n.language === 'zh-CN' ? 'on' : ''} onClick={() => setLang('zh-CN')}>中文</button>
          <button type="button" className={i18n.language === 'en' ? 'on' : ''} onClick={() => setLang('en')}>EN</button>
        </div>
      </div>
    </div>
  );
}

function SignInForm({ onDone, onCancel, overlay }: { onDone: () => void; onCancel?: () => void; overlay: boolean }) {
  const { t } = useTranslation();
  const [id, setId] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await signIn(id.trim(), password);
    setBusy(false);
    if (r.ok) onDone();
    else setMessage(r.message);
  };
  return (
    <Card title={t('auth.subtitle')} overlay={overlay}>
      <form className="auth-form" onSubmit={submit} data-testid="sign-in">
        <label>
          {t('auth.id')}
          <input autoFocus autoComplete="username" value={id} onChange={(e) => setId(e.target.value)} data-testid="sign-in-id" required />
        </label>
        <label>
          {t('auth.password')}
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="sign-in-password" required />
        </label>
        {message && <div className="auth-message" data-testid="sign-in-message">{message}</div>}
        <button type="submit" disabled={busy} data-testid="sign-in-submit">{busy ? t('auth.signingIn') : t('auth.signIn')}</button>
        {onCancel && (
          <button type="button" className="auth-cancel" onClick={onCancel}>
            {t('auth.cancel')}
          </button>
        )}
      </form>
    </Card>
  );
}

function NewPassword({ onDone, overlay }: { onDone: () => void; overlay: boolean }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) return setMessage(t('auth.mismatch'));
    const r = await changePassword(current, next);
    if (r.ok) onDone();
    else setMessage(r.message);
  };
  return (
    <Card title={t('auth.changeTitle')} overlay={overlay}>
      <form className="auth-form" onSubmit={submit} data-testid="new-password">
        <label>
          {t('auth.current')}
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="pw-current" required />
        </label>
        <label>
          {t('auth.next')}
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} data-testid="pw-next" required />
        </label>
        <label>
          {t('auth.again')}
          <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="pw-again" required />
        </label>
        {message && <div className="auth-message" data-testid="pw-message">{message}</div>}
        <button type="submit" data-testid="pw-save">{t('auth.save')}</button>
      </form>
    </Card>
  );
}

/** The title bar's account: who is signed in, and signing out. */
export function AccountBadge() {
  const { t } = useTranslation();
  const signedIn = useSignedIn();
  const recheck = useContext(RecheckContext);
  const offer = useContext(OfferSignInContext);
  if (!signedIn) {
    return offer ? (
      <button type="button" className="head-btn" onClick={offer} data-testid="sign-in-open">
        {t('auth.signIn')}
      </button>
    ) : null;
  }
  return (
    <div className="account-badge" data-testid="account-badge" data-account={signedIn.account.id}>
      <span className="account-role">{t(`auth.role.${signedIn.account.role}`)}</span>
      <b>{signedIn.account.name}</b>
      <button type="button" onClick={() => void signOut().then(recheck)} data-testid="sign-out">{t('auth.signOut')}</button>
    </div>
  );
}
