import CNcursesw
import RNNApp
