/** Studio home. */
export default function HomePage() {
  return (
    <main>
      <h1>Parley Studio</h1>
    </main>
  );
}
