// Modules under widget/later/ are not in the first load (bundler.py): each is imported on first use.
const LATER = 'later/';
const loading = new Map();

/** A promise of the exports of widget/later/`name`, imported once. */
export function later(name) {
  if (!loading.has(name)) {
    loading.set(name, import(new URL(LATER + name, import.meta.url).href).catch((error) => {
      // a failed load (offline, a deploy in between) is tried again next time
      loading.delete(name);
      throw error;
    }));
  }
  return loading.get(name);
}

/** `run(exports)` of widget/later/`name` once imported; a module that failed to load is said with `notify`. */
export const use = (name, run, notify) => later(name).then(run, (error) => notify(error.message, true));
