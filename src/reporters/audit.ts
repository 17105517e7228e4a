export const render = (): string => 'todo';
