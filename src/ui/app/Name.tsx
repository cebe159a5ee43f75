/**
 * A name taken from a file (a file name, a checkpoint's or a VM's name) as the page shows it:
 * isolated from the text around it, so that a right-to-left override inside turns nothing outside;
 * on one line, cut with an ellipsis when it is longer than its box, the whole name in its tooltip
 * (screen readers read the whole text).
 */
export function Name({ text, className }: { text: string; className?: string }) {
  return (
    <bdi className={className ? `name ${className}` : 'name'} title={text}>
      {text}
    </bdi>
  );
}
