export declare function readJsonLines(file: string): Array<Record<string, any>>;
