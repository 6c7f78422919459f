export async function run(): Promise<void> {
  process.stdout.write('bench publish: not written yet\n');
}
