export async function run(): Promise<void> {
  process.stdout.write('bench build: not written yet\n');
}
