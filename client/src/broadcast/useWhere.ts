// whereOf in the screen's language, with place names from the dataset.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Selection } from '../../../core/broadcast.ts';
import { useLinkage } from '../context.ts';
import { whereOf } from './where.ts';

export function useWhere(): (s: Selection) => string {
  const { t } = useTranslation();
  const { names } = useLinkage();
  return useCallback(
    (s: Selection) => {
      const w = whereOf(s, names.place, { case: (id) => t('bc.whereCase', { id }), point: t('bc.wherePoint') });
      return t(`bc.${w.key}`, w.values);
    },
    [t, names],
  );
}
