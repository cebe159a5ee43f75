import { BitmapMatrix } from '../chain/BitmapMatrix.tsx';
import { BackupReadiness, DiskImages } from './DiskImages.tsx';

/** The Bitmaps view: the disk images and what they allow, above the checkpoints × disks table. */
export function BitmapsView() {
  return (
    <div className="bitmaps-view">
      <div className="bitmaps-cards">
        <DiskImages />
        <BackupReadiness />
      </div>
      <BitmapMatrix />
    </div>
  );
}
