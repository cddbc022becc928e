import { createRoot } from 'react-dom/client';
import '../i18n/index.ts';
import './mobile.css';
import { MobileApp } from './MobileApp.tsx';

createRoot(document.getElementById('root')!).render(<MobileApp />);
