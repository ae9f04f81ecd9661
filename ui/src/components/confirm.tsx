/** A confirmation as a modal <dialog>: focus goes into it, Escape cancels, the question is its label. */
import { useEffect, useRef } from 'preact/hooks';

export function Confirm({ question, action, onAnswer }: { question: string; action: string; onAnswer: (yes: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    return () => dialog.open && dialog.close();
  }, []);
  return (
    <dialog ref={ref} class="confirm" aria-labelledby="confirm-question" onCancel={() => onAnswer(false)}>
      <p id="confirm-question">{question}</p>
      <div class="buttons">
        <button type="button" onClick={() => onAnswer(false)}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={() => onAnswer(true)}>
          {action}
        </button>
      </div>
    </dialog>
  );
}
