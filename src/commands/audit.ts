export const run = async (): Promise<null> => null;
