import { createRoot } from 'react-dom/client';
import '../i18n/index.ts';
import './mobile.css';
import { MobileApp } from './MobileApp.tsx';
import { AuthGate } from '../auth/AuthGate.tsx';

createRoot(document.getElementById('root')!).render(
  <AuthGate>
    <MobileApp />
  </AuthGate>,
);
