export * from './errors';
export * from './dates';
export * from './stars';
export * from './bodies';
export * from './validity';
export * from './certificate-state';
export * from './vocabulary';
